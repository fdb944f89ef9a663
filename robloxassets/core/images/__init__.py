"""Local decal images: Roblox's rules, inspection, thumbnails, scanning and upload-ready copies."""
