# CPack: one set of package facts, then each generator's own. Included last by the top-level
# CMakeLists.txt. Build the packages with `cpack` in the build folder:
#   Linux    cpack -G DEB, cpack -G RPM (needs rpmbuild: Debian's `rpm` package)
#   Windows  cpack -G NSIS (needs makensis)
#   macOS    cpack -G DragNDrop
# .github/workflows/installers.yml builds the Windows and macOS ones on hosted runners.

set(CPACK_PACKAGE_NAME "docket")
set(CPACK_PACKAGE_VENDOR "${DOCKET_COPYRIGHT_HOLDER}")
# The .deb's Maintainer and, through %packager below, the .rpm's Packager: who built them.
set(CPACK_PACKAGE_CONTACT "${DOCKET_PACKAGER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Review and delete documents held by clinical document services")
# Wrapped by hand: dpkg and rpm show the lines as they are.
set(CPACK_PACKAGE_DESCRIPTION "Docket signs in to the document services a clinic uses (Invox Medical,
CareValidate Care360, DocumentPro and Scriptix), shows what each holds as one
tree, and deletes what must go: deliberately, after a clear confirmation, with
secrets kept in the system keychain.
It includes docket-cli for administrators and scripts, and docket-sandbox, a
practice server that speaks the four services' APIs with generated data.")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}") # empty: no Homepage field
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Docket")
# Without this CPack would show CMake's own license in the Windows installer. A copy named .txt:
# the installers' license pages go by the extension.
file(COPY_FILE ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_BINARY_DIR}/packaging/LICENSE.txt
     ONLY_IF_DIFFERENT)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_BINARY_DIR}/packaging/LICENSE.txt")
# Which files only one generator's package holds (the Linux license and changelog files).
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_SOURCE_DIR}/packaging/CPackGenerator.cmake")
set(CPACK_PACKAGE_EXECUTABLES "docket;Docket") # the Start menu entry
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")

if(UNIX AND NOT APPLE)
    set(CPACK_GENERATOR "DEB;RPM")
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
    # RelWithDebInfo builds: the packages need no debug sections. (Not on macOS, where stripping
    # after macdeployqt would break the bundle's signatures.)
    set(CPACK_STRIP_FILES ON)

    # Debian: shared libraries are found by dpkg-shlibdeps; what is loaded at run time is named
    # here. QtKeychain talks to the Secret Service through libsecret, loaded with dlopen; Qt
    # loads its platform plugins (qt6-qpa-plugins) and the SQLite driver for the Invox index
    # (libqt6sql6-sqlite) as plugins.
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsecret-1-0, qt6-qpa-plugins, libqt6sql6-sqlite")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc")
    set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
    set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")

    # RPM: rpmbuild finds the shared libraries itself (AutoReq). What is loaded at run time is
    # named as AutoReq would name a linked library (QtKeychain dlopens libsecret, so AutoReq
    # cannot see it) or as Fedora packages it (the Qt plugins of qt6-qtbase-gui).
    set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
    set(CPACK_RPM_PACKAGE_LICENSE "${DOCKET_LICENSE_SPDX}")
    set(CPACK_RPM_PACKAGE_GROUP "Applications/Productivity")
    set(CPACK_RPM_PACKAGE_URL "${PROJECT_HOMEPAGE_URL}")
    set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
    # No /usr/lib/.build-id links: they serve debuginfo packages, which this one has none of.
    # The Packager tag comes from rpmbuild's %packager.
    set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none\n%define packager ${DOCKET_PACKAGER}")
    if(CMAKE_SIZEOF_VOID_P EQUAL 8)
        set(CPACK_RPM_PACKAGE_REQUIRES "libsecret-1.so.0()(64bit), qt6-qtbase-gui")
    else()
        set(CPACK_RPM_PACKAGE_REQUIRES "libsecret-1.so.0, qt6-qtbase-gui")
    endif()
    # packaging/changelog in the spec's format (LinuxPackageDocs.cmake), and the license text
    # marked as one, so `rpm -q --licensefiles docket` finds it.
    set(CPACK_RPM_CHANGELOG_FILE "${PROJECT_BINARY_DIR}/packaging/rpm-changelog")
    set(CPACK_RPM_USER_FILELIST "%license /usr/share/licenses/docket/LICENSE")
    # Folders the filesystem and icon-theme packages own: the package must not claim them.
    set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
        /usr/share/applications /usr/share/metainfo /usr/share/icons /usr/share/icons/hicolor
        /usr/share/man /usr/share/man/man1 /usr/share/licenses)
    foreach(size 16 22 24 32 48 64 128 256 512 scalable)
        if(size STREQUAL "scalable")
            set(dir /usr/share/icons/hicolor/scalable)
        else()
            set(dir /usr/share/icons/hicolor/${size}x${size})
        endif()
        list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION ${dir} ${dir}/apps)
    endforeach()
elseif(WIN32)
    set(CPACK_GENERATOR "NSIS")
    set(CPACK_NSIS_PACKAGE_NAME "Docket")
    set(CPACK_NSIS_DISPLAY_NAME "Docket ${PROJECT_VERSION}")
    set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/docket.ico")
    set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/docket.ico")
    set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\docket.exe")
    set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
    set(CPACK_NSIS_CONTACT "${CPACK_PACKAGE_CONTACT}")
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_MUI_FINISHPAGE_RUN "docket.exe")
    # A Start menu entry that opens practice mode, beside the plain one.
    set(CPACK_NSIS_CREATE_ICONS_EXTRA
        "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\Docket (practice).lnk' '$INSTDIR\\\\bin\\\\docket.exe' '--sandbox'")
    set(CPACK_NSIS_DELETE_ICONS_EXTRA
        "Delete '$SMPROGRAMS\\\\$START_MENU\\\\Docket (practice).lnk'")
    # docket-cli on PATH is an administrator's choice, offered by the installer.
    set(CPACK_NSIS_MODIFY_PATH ON)
    set(CPACK_PACKAGE_FILE_NAME "Docket-${PROJECT_VERSION}-win64")
elseif(APPLE)
    set(CPACK_GENERATOR "DragNDrop")
    set(CPACK_DMG_VOLUME_NAME "Docket ${PROJECT_VERSION}")
    set(CPACK_DMG_FORMAT "UDZO")
    set(CPACK_PACKAGE_ICON "${PROJECT_SOURCE_DIR}/resources/icons/docket.icns") # the volume's
    set(CPACK_PACKAGE_FILE_NAME "Docket-${PROJECT_VERSION}-macos")
endif()

include(CPack)
