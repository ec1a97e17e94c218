# The license and changelog files of the .deb and the .rpm, which differ: Debian wants a
# machine-readable /usr/share/doc/docket/copyright that points at the GPL in
# /usr/share/common-licenses (a copy of it is a lintian error) and a gzipped Debian changelog;
# Fedora wants the license text itself in /usr/share/licenses/docket and the changelog in the
# spec. Each set is installed as its own component, left out of a plain `cmake --install`;
# CPackGenerator.cmake adds the one that belongs to the generator cpack is running.
# Included by packaging/CMakeLists.txt on Linux.

set(doc_dir ${CMAKE_INSTALL_DATAROOTDIR}/doc/docket)

# packaging/changelog is the one history, in Debian's format; its newest entry must be this
# version on DOCKET_RELEASE_DATE, so AppStream, the man pages and both changelogs agree.
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/changelog changelog)
if(NOT changelog MATCHES "^docket \\(([^)]+)\\)")
    message(FATAL_ERROR "packaging/changelog does not start with a 'docket (VERSION)' entry")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
    message(FATAL_ERROR "packaging/changelog's newest entry is ${CMAKE_MATCH_1}, the project is "
                        "${PROJECT_VERSION}: add an entry for ${PROJECT_VERSION}")
endif()
set(months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
string(REGEX MATCH "\n -- [^\n]*  [A-Z][a-z][a-z], ([0-9][0-9]?) ([A-Z][a-z][a-z]) ([0-9][0-9][0-9][0-9])"
       newest_trailer "${changelog}")
if(NOT newest_trailer)
    message(FATAL_ERROR "packaging/changelog's newest entry has no dated ' -- NAME <EMAIL>' line")
endif()
set(entry_day ${CMAKE_MATCH_1})
set(entry_year ${CMAKE_MATCH_3})
list(FIND months "${CMAKE_MATCH_2}" month_index)
math(EXPR entry_month "${month_index} + 1")
string(REGEX MATCH "^([0-9]+)-0?([0-9]+)-0?([0-9]+)$" _ "${DOCKET_RELEASE_DATE}")
if(NOT (entry_year EQUAL CMAKE_MATCH_1 AND entry_month EQUAL CMAKE_MATCH_2
        AND entry_day EQUAL CMAKE_MATCH_3))
    message(FATAL_ERROR "packaging/changelog's newest entry is not dated ${DOCKET_RELEASE_DATE} "
                        "(DOCKET_RELEASE_DATE): change them together")
endif()

# Debian: the changelog gzipped without a timestamp (-n), as reproducible builds want; the
# copyright file names the homepage as its Source when there is one.
execute_process(COMMAND ${GZIP_EXECUTABLE} -9 -n -c ${CMAKE_CURRENT_SOURCE_DIR}/changelog
                OUTPUT_FILE ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
                COMMAND_ERROR_IS_FATAL ANY)
if(DOCKET_HOMEPAGE_URL)
    set(DOCKET_COPYRIGHT_SOURCE "Source: ${DOCKET_HOMEPAGE_URL}\n")
else()
    set(DOCKET_COPYRIGHT_SOURCE "")
endif()
configure_file(linux/copyright.in copyright @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/copyright ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
        DESTINATION ${doc_dir} COMPONENT debian_doc EXCLUDE_FROM_ALL)

# RPM: the license text, marked %license in the spec (CPackSettings.cmake), and the same
# history in the spec's %changelog format: "* Www Mon DD YYYY NAME <EMAIL> - VERSION-RELEASE"
# and a "- " line per item. CPack's release is 1 unless CPACK_RPM_PACKAGE_RELEASE says otherwise.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/licenses/docket COMPONENT rpm_doc EXCLUDE_FROM_ALL)
set(rpm_changelog "")
# A ";" (as in "unstable; urgency=medium") would split CMake's list of entries: kept aside.
string(REPLACE ";" "<semicolon>" entries_text "${changelog}")
string(REGEX MATCHALL "docket \\([^)]+\\)[^\n]*\n(\n|  [^\n]*\n)* -- [^\n]+" entries "${entries_text}")
foreach(entry IN LISTS entries)
    string(REGEX MATCH "^docket \\(([^)]+)\\)" _ "${entry}")
    set(version ${CMAKE_MATCH_1})
    string(REGEX MATCH "\n -- ([^\n]+)  ([A-Z][a-z][a-z]), ([0-9]+) ([A-Z][a-z][a-z]) ([0-9]+)" _
           "${entry}")
    set(heading "* ${CMAKE_MATCH_2} ${CMAKE_MATCH_4} ${CMAKE_MATCH_3} ${CMAKE_MATCH_5} ${CMAKE_MATCH_1} - ${version}-1")
    string(REGEX MATCHALL "\n  \\* [^\n]*(\n    [^\n]*)*" items "${entry}")
    set(lines "")
    foreach(item IN LISTS items)
        string(REGEX REPLACE "\n +" " " item "${item}")
        string(REGEX REPLACE "^ \\* " "- " item "${item}")
        string(REPLACE "<semicolon>" ";" item "${item}")
        string(APPEND lines "${item}\n")
    endforeach()
    string(APPEND rpm_changelog "${heading}\n${lines}\n")
endforeach()
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/rpm-changelog "${rpm_changelog}")
