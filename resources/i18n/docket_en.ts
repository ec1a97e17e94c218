<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>ActivityDialog</name>
    <message numerus="yes">
        <source>The newest %n attempt(s); narrow the filter to see older ones.</source>
        <translation>
            <numerusform>The newest %n attempt; narrow the filter to see older ones.</numerusform><numerusform>The newest %n attempts; narrow the filter to see older ones.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n attempt(s) to %1.</source>
        <translation>
            <numerusform>Exported %n attempt to %1.</numerusform><numerusform>Exported %n attempts to %1.</numerusform></translation>
    </message>
</context>
<context>
    <name>BatchRun</name>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform><numerusform>%n failed</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n already gone</source>
        <translation>
            <numerusform>%n already gone</numerusform><numerusform>%n already gone</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n cancelled</numerusform><numerusform>%n cancelled</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Cancelling: %n delete(s) already sent will finish; nothing more is sent. Ctrl+C again stops at once (`resume` can finish the batch later).</source>
        <translation>
            <numerusform>Cancelling: %n delete already sent will finish; nothing more is sent. Ctrl+C again stops at once (`resume` can finish the batch later).</numerusform><numerusform>Cancelling: %n deletes already sent will finish; nothing more is sent. Ctrl+C again stops at once (`resume` can finish the batch later).</numerusform></translation>
    </message>
</context>
<context>
    <name>CliContext</name>
    <message numerus="yes">
        <source>Deleted from the system keychain %n secret(s) that an earlier sign-out or account removal could not delete.</source>
        <translation>
            <numerusform>Deleted from the system keychain %n secret that an earlier sign-out or account removal could not delete.</numerusform><numerusform>Deleted from the system keychain %n secrets that an earlier sign-out or account removal could not delete.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The system keychain still holds %n secret(s) of accounts signed out or removed earlier: %1</source>
        <translation>
            <numerusform>The system keychain still holds %n secret of accounts signed out or removed earlier: %1</numerusform><numerusform>The system keychain still holds %n secrets of accounts signed out or removed earlier: %1</numerusform></translation>
    </message>
</context>
<context>
    <name>ConfirmDeleteDialog</name>
    <message numerus="yes">
        <source>Delete &lt;b&gt;%n items&lt;/b&gt;?</source>
        <translation>
            <numerusform>Delete &lt;b&gt;%n item&lt;/b&gt;?</numerusform><numerusform>Delete &lt;b&gt;%n items&lt;/b&gt;?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n of them will be deleted permanently: this cannot be undone.</source>
        <translation>
            <numerusform>%n of them will be deleted permanently: this cannot be undone.</numerusform><numerusform>%n of them will be deleted permanently: this cannot be undone.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n Care360 file(s) will be soft-deleted: hidden from the patient, kept by the provider.</source>
        <translation>
            <numerusform>%n Care360 file will be soft-deleted: hidden from the patient, kept by the provider.</numerusform><numerusform>%n Care360 files will be soft-deleted: hidden from the patient, kept by the provider.</numerusform></translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform><numerusform>%n failed</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n cancelled</numerusform><numerusform>%n cancelled</numerusform></translation>
    </message>
</context>
<context>
    <name>Docket::DeletionQueue</name>
    <message numerus="yes">
        <source>(%n attempt(s))</source>
        <translation>
            <numerusform>(%n attempt)</numerusform><numerusform>(%n attempts)</numerusform></translation>
    </message>
</context>
<context>
    <name>Docket::InvoxConnector</name>
    <message numerus="yes">
        <source>%n documents</source>
        <translation>
            <numerusform>%n document</numerusform><numerusform>%n documents</numerusform></translation>
    </message>
</context>
<context>
    <name>InterruptedBatchDialog</name>
    <message numerus="yes">
        <source>Docket stopped while deleting %n item(s).</source>
        <translation>
            <numerusform>Docket stopped while deleting %n item.</numerusform><numerusform>Docket stopped while deleting %n items.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>• %n confirmed deleted by the service</source>
        <translation>
            <numerusform>• %n confirmed deleted by the service</numerusform><numerusform>• %n confirmed deleted by the service</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>• %n sent, but Docket stopped before the answer: they may have been deleted</source>
        <translation>
            <numerusform>• %n sent, but Docket stopped before the answer: it may have been deleted</numerusform><numerusform>• %n sent, but Docket stopped before the answer: they may have been deleted</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>• %n not sent yet</source>
        <translation>
            <numerusform>• %n not sent yet</numerusform><numerusform>• %n not sent yet</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>• %n failed</source>
        <translation>
            <numerusform>• %n failed</numerusform><numerusform>• %n failed</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>• %n cancelled</source>
        <translation>
            <numerusform>• %n cancelled</numerusform><numerusform>• %n cancelled</numerusform></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Quit while deleting? %n item(s) are not finished.</source>
        <translation>
            <numerusform>Quit while deleting? %n item is not finished.</numerusform><numerusform>Quit while deleting? %n items are not finished.</numerusform></translation>
    </message>
</context>
<context>
    <name>Remover</name>
    <message numerus="yes">
        <source>with %n item(s) under it</source>
        <translation>
            <numerusform>with %n item under it</numerusform><numerusform>with %n items under it</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Permanently delete %n item(s)? This cannot be undone. Type "delete" to confirm: </source>
        <translation>
            <numerusform>Permanently delete %n item? This cannot be undone. Type "delete" to confirm: </numerusform><numerusform>Permanently delete %n items? This cannot be undone. Type "delete" to confirm: </numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n item(s)? Type "delete" to confirm: </source>
        <translation>
            <numerusform>Delete %n item? Type "delete" to confirm: </numerusform><numerusform>Delete %n items? Type "delete" to confirm: </numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) not deleted.</source>
        <translation>
            <numerusform>%n item not deleted.</numerusform><numerusform>%n items not deleted.</numerusform></translation>
    </message>
</context>
<context>
    <name>Resumer</name>
    <message numerus="yes">
        <source>Send the %n delete(s) still owed? Items sent before but unconfirmed are sent again (a 404 then counts as deleted). Type "delete" to confirm: </source>
        <translation>
            <numerusform>Send the %n delete still owed? Items sent before but unconfirmed are sent again (a 404 then counts as deleted). Type "delete" to confirm: </numerusform><numerusform>Send the %n deletes still owed? Items sent before but unconfirmed are sent again (a 404 then counts as deleted). Type "delete" to confirm: </numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) of the batch are not deleted.</source>
        <translation>
            <numerusform>%n item of the batch is not deleted.</numerusform><numerusform>%n items of the batch are not deleted.</numerusform></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message numerus="yes">
        <source>The system keychain still holds %n secret(s) of accounts signed out or removed earlier: %1</source>
        <translation>
            <numerusform>The system keychain still holds %n secret of accounts signed out or removed earlier: %1</numerusform><numerusform>The system keychain still holds %n secrets of accounts signed out or removed earlier: %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Deleted from the system keychain %n secret(s) that an earlier sign-out or account removal could not delete.</source>
        <translation>
            <numerusform>Deleted from the system keychain %n secret that an earlier sign-out or account removal could not delete.</numerusform><numerusform>Deleted from the system keychain %n secrets that an earlier sign-out or account removal could not delete.</numerusform></translation>
    </message>
</context>
</TS>
