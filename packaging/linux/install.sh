#!/bin/sh
# Put Roblox Assets in this user's application menu (no root needed), running the program
# from the folder this script is in, and link the robloxassets command into ~/.local/bin.
#     ./install.sh              add (again, after moving the folder)
#     ./install.sh --uninstall  take the menu entry, icons and link out (the folder and your
#                               catalogue stay)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data/applications
icons=$data/icons/hicolor
meta=$data/metainfo
bin=$HOME/.local/bin
desktop=robloxassets.desktop
metainfo=io.github.robloxassets.metainfo.xml

refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$apps" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$icons" >/dev/null 2>&1 || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$apps/$desktop" "$meta/$metainfo" "$icons/scalable/apps/robloxassets.svg"
  for size in "$icons"/*x*; do
    rm -f "$size/apps/robloxassets.png"
  done
  if [ -L "$bin/robloxassets" ] && [ "$(readlink "$bin/robloxassets")" = "$here/robloxassets" ]
  then
    rm -f "$bin/robloxassets"
  fi
  refresh
  echo "Roblox Assets is no longer in the application menu."
  exit 0
fi

mkdir -p "$apps" "$icons" "$meta" "$bin"
cp -R "$here/share/icons/hicolor/." "$icons/"
cp "$here/share/metainfo/$metainfo" "$meta/$metainfo"
# The entry runs this folder's program: Exec quoted (the path may have spaces), no TryExec.
grep -v -e '^Exec=' -e '^TryExec=' "$here/share/applications/$desktop" > "$apps/$desktop.tmp"
printf 'Exec="%s" open %%F\n' "$here/robloxassets" >> "$apps/$desktop.tmp"
mv "$apps/$desktop.tmp" "$apps/$desktop"
ln -sf "$here/robloxassets" "$bin/robloxassets"
refresh
echo "Roblox Assets is in the application menu; the robloxassets command is in $bin."
