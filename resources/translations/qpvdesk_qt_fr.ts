<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt 6.11 gave these file-dialog labels a mnemonic; the French catalogue shipped with PySide6 only knows them
     without it, so the Linux dialog was half English. Compiled with: pyside6-lrelease qpvdesk_qt_fr.ts -->
<TS version="2.1" language="fr_FR">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Voir dans :</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Fichiers de &amp;type :</translation>
    </message>
</context>
</TS>
