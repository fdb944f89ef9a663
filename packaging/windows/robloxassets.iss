; Inno Setup script for the Windows installer (Inno Setup 6). packaging/build.py runs it as
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\robloxassets /DOutputDir=dist\release
;        /DOutputName=robloxassets-0.1.0-windows-x86_64-setup /DIconFile=...\robloxassets.ico
;        packaging\windows\robloxassets.iss
; Installs for the current user by default (no administrator needed; the wizard offers all
; users), adds a Start-menu shortcut to the windowed program, an optional desktop shortcut,
; and an uninstaller listed under Settings > Apps. Uninstalling removes the program only:
; the catalogue, settings and caches in the user's AppData folders are the user's data.

#ifndef AppVersion
  #error Pass /DAppVersion=... (packaging/build.py does)
#endif
#ifndef SourceDir
  #error Pass /DSourceDir=... (the one-folder build)
#endif
#ifndef OutputDir
  #define OutputDir "."
#endif
#ifndef OutputName
  #define OutputName "robloxassets-" + AppVersion + "-windows-setup"
#endif

[Setup]
; Never change the AppId: Windows knows the installed app by it (upgrades, uninstall).
AppId={{6E0B7C4A-2F1D-4B8E-9A53-7D2C1E8F4A90}
AppName=Roblox Assets
AppVersion={#AppVersion}
AppVerName=Roblox Assets {#AppVersion}
AppPublisher=The robloxassets developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Roblox Assets
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename={#OutputName}
#ifdef IconFile
SetupIconFile={#IconFile}
#endif
UninstallDisplayIcon={app}\robloxassets-gui.exe
UninstallDisplayName=Roblox Assets
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files.
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade starts from a clean program folder, so no library of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Roblox Assets"; Filename: "{app}\robloxassets-gui.exe"; Comment: "Decal library, asset ID catalogue and error-code lookup"
Name: "{autodesktop}\Roblox Assets"; Filename: "{app}\robloxassets-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\robloxassets-gui.exe"; Description: "{cm:LaunchProgram,Roblox Assets}"; Flags: nowait postinstall skipifsilent
