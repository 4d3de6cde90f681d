; Installateur Windows de qpvdesk (Inno Setup 6) : installation PAR UTILISATEUR, sans droits d'administrateur.
;
; NON CONSTRUIT NI TESTÉ sur la machine Linux du projet : PyInstaller ne fait pas de compilation croisée, le dossier
; dist\qpvdesk doit être construit sous Windows. Le workflow .github/workflows/release.yml (windows-latest) le fait.
;
; Compilation, depuis la racine du dépôt, après `pyinstaller build.spec` et `python packaging\make_icons.py` :
;   iscc /DAppVersion=0.1.0 packaging\windows\qpvdesk.iss         → dist\qpvdesk-0.1.0-windows-setup.exe
;
; Installation silencieuse (services informatiques) :
;   qpvdesk-0.1.0-windows-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART             (pour l'utilisateur courant)
;   qpvdesk-0.1.0-windows-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS   (tous les utilisateurs, admin)
; Désinstallation : « Applications » de Windows, ou unins000.exe /VERYSILENT dans le dossier d'installation.
; Les données de l'utilisateur (%LOCALAPPDATA%\qpvdesk) ne sont jamais supprimées par la désinstallation.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\qpvdesk"
#endif

[Setup]
AppId={{6F0B7C4E-2D1A-4C8E-9B57-3A1E5D2F8C40}
AppName=qpvdesk
AppVersion={#AppVersion}
AppVerName=qpvdesk {#AppVersion}
AppPublisher=Équipe qpvdesk
AppComments=Explorateur hors ligne de la politique de la ville
; Per-user install: with PrivilegesRequired=lowest, {autopf} is %LOCALAPPDATA%\Programs (no admin rights needed).
; An administrator can still install for all users (/ALLUSERS or the dialog) thanks to the override.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
DefaultDirName={autopf}\qpvdesk
DefaultGroupName=qpvdesk
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
; Qt 6 needs Windows 10 or later (1809+); older systems get Inno Setup's French message.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=qpvdesk-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\qpvdesk.ico
UninstallDisplayIcon={app}\qpvdesk.exe
UninstallDisplayName=qpvdesk {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes
VersionInfoVersion={#AppVersion}
VersionInfoProductName=qpvdesk
VersionInfoDescription=Installateur de qpvdesk

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Messages]
fr.WinVersionTooLowError=qpvdesk nécessite Windows 10 (version 1809) ou plus récent.

[Tasks]
Name: "desktopicon"; Description: "Créer une icône sur le Bureau"; GroupDescription: "Raccourcis :"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle (qpvdesk.exe, qpvdesk-cli.exe, _internal\…).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\qpvdesk"; Filename: "{app}\qpvdesk.exe"; Comment: "La politique de la ville, hors ligne"
Name: "{autodesktop}\qpvdesk"; Filename: "{app}\qpvdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\qpvdesk.exe"; Description: "Lancer qpvdesk"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes exactly what was installed; user data stays.
