"""The bundled knowledge base of Roblox error codes and its search."""
