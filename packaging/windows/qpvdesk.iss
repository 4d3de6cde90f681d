; Installateur Windows de qpvdesk (Inno Setup 6.3 ou plus récent).
;
; NON CONSTRUIT NI TESTÉ sur la machine Linux du projet : PyInstaller ne fait pas de compilation croisée, le dossier
; dist\qpvdesk doit être construit sous Windows. Le workflow .github/workflows/release.yml (windows-2022) le fait.
;
; Compilation, depuis la racine du dépôt, après `pyinstaller build.spec` et `python packaging\make_icons.py` :
;   iscc /DAppVersion=0.1.0 packaging\windows\qpvdesk.iss                → dist\qpvdesk-0.1.0-windows-setup.exe
; Signée (certificat de signature de code ; le workflow le fait quand le secret existe) :
;   iscc /DAppVersion=0.1.0 /DSign "/Sqpvsign=signtool.exe sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /f cert.pfx /p MOTDEPASSE $f" packaging\windows\qpvdesk.iss
;
; QUI INSTALLE OÙ
; - Par défaut, pour l'utilisateur courant, sans droits d'administrateur : %LOCALAPPDATA%\Programs\qpvdesk.
; - Pour tous les utilisateurs, dans C:\Program Files\qpvdesk : avec /ALLUSERS, en choisissant « pour tous les
;   utilisateurs » dans la fenêtre proposée à un administrateur, ou automatiquement quand l'installateur est lancé
;   avec les droits d'administrateur (« Exécuter en tant qu'administrateur », ou en SYSTEM par SCCM/MECM, Intune,
;   WAPT, GPO de script : sans cela, SYSTEM installerait dans son propre profil, invisible des utilisateurs).
;   /CURRENTUSER force l'installation par utilisateur même lancé en administrateur.
; - AppLocker / WDAC : les règles par défaut (et les guides de durcissement de l'ANSSI) n'autorisent les
;   exécutables que sous %PROGRAMFILES% et %WINDIR%. Sur ces postes, l'installation par utilisateur réussit mais
;   qpvdesk.exe est ensuite bloqué au lancement : les services informatiques installent pour tous les
;   utilisateurs (/ALLUSERS), ou autorisent l'éditeur signé dans leur règle (installateur signé, voir plus haut).
;
; Installation silencieuse (services informatiques) ; /LOG= écrit un journal :
;   qpvdesk-0.1.0-windows-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS /LOG="C:\Windows\Temp\qpvdesk.log"
;   qpvdesk-0.1.0-windows-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER
; Détection (SCCM, Intune) : clé …\Microsoft\Windows\CurrentVersion\Uninstall\{6F0B7C4E-2D1A-4C8E-9B57-3A1E5D2F8C40}_is1,
; sous HKLM (tous les utilisateurs) ou HKCU (par utilisateur), valeur DisplayVersion.
; Désinstallation : « Applications » de Windows, ou unins000.exe /VERYSILENT dans le dossier d'installation.
; Données de l'utilisateur (%LOCALAPPDATA%\qpvdesk : partenaires et contacts, notes, favoris, sauvegardes ; réglages
; HKCU\Software\qpvdesk) : la désinstallation DEMANDE s'il faut les supprimer (réponse par défaut : non, et non en
; mode silencieux). Elle ne peut atteindre que le profil de l'utilisateur qui désinstalle : sur un poste réattribué,
; supprimez aussi les dossiers des autres profils.

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
; Per-user install by default: with PrivilegesRequired=lowest, {autopf} is %LOCALAPPDATA%\Programs (no admin
; rights needed). All users (/ALLUSERS, the dialog, or started elevated: see InitializeSetup) → {autopf} is
; C:\Program Files.
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
#ifdef Sign
; The installer and its uninstaller are signed by the "qpvsign" tool given to iscc with /S (release workflow).
SignTool=qpvsign
SignedUninstaller=yes
#endif

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Messages]
fr.WinVersionTooLowError=qpvdesk nécessite Windows 10 (version 1809) ou plus récent.

[Tasks]
Name: "desktopicon"; Description: "Créer une icône sur le Bureau"; GroupDescription: "Raccourcis :"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle (qpvdesk.exe, qpvdesk-cli.exe, _internal\…, licence texts in
; _internal\licences\ with their index).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\qpvdesk"; Filename: "{app}\qpvdesk.exe"; Comment: "La politique de la ville, hors ligne"
Name: "{autoprograms}\qpvdesk — licences"; Filename: "{app}\_internal\licences"; Comment: "Textes des licences de qpvdesk et de ses composants"
Name: "{autodesktop}\qpvdesk"; Filename: "{app}\qpvdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\qpvdesk.exe"; Description: "Lancer qpvdesk"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes exactly what was installed; the user's data is handled below.

[Code]
procedure ExitProcess(uExitCode: Cardinal); external 'ExitProcess@kernel32.dll stdcall';

function CmdLineHas(const Switch: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Switch) = 0 then
    begin
      Result := True;
      Exit;
    end;
end;

{ Started with administrator rights (elevated, or as SYSTEM by a deployment tool) but in per-user mode: start
  again with /ALLUSERS and hand its exit code back, so that the application lands in Program Files for everyone. }
function InitializeSetup(): Boolean;
var
  ResultCode: Integer;
begin
  Result := True;
  if IsAdmin() and not IsAdminInstallMode() and not CmdLineHas('/CURRENTUSER') then
  begin
    Log('Lancé avec les droits d''administrateur : installation pour tous les utilisateurs (relance avec /ALLUSERS).');
    if Exec(ExpandConstant('{srcexe}'), GetCmdTail() + ' /ALLUSERS', '', SW_SHOW, ewWaitUntilTerminated, ResultCode) then
      ExitProcess(ResultCode)
    else
      Log('Relance impossible (' + SysErrorMessage(ResultCode) + ') : installation pour l''utilisateur courant.');
  end;
end;

{ The user's own data (partners with their contacts, notes, favourites, backups) and window settings: asked,
  default No; silent uninstalls keep them (SuppressibleMsgBox answers IDNO). }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{localappdata}\qpvdesk');
  if not DirExists(DataDir) then
    Exit;
  if SuppressibleMsgBox('Supprimer aussi vos données personnelles de qpvdesk ?' + #13#10#13#10 +
      'Vos partenaires locaux (avec leurs contacts), vos notes, vos favoris et leurs sauvegardes sont dans :' + #13#10 +
      DataDir + #13#10#13#10 +
      'Répondez Non pour les garder (une prochaine installation les retrouvera).',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
  begin
    if DelTree(DataDir, True, True, True) then
      Log('Données de l''utilisateur supprimées : ' + DataDir)
    else
      SuppressibleMsgBox('Certaines données n''ont pas pu être supprimées (qpvdesk est-il encore ouvert ?) : ' + DataDir,
        mbError, MB_OK, IDOK);
    RegDeleteKeyIncludingSubkeys(HKCU, 'Software\qpvdesk');
  end;
end;
