# CPACK_PROJECT_CONFIG_FILE: read by cpack once per generator, after CPackConfig.cmake. The
# .deb and the .rpm want their license and changelog files in different forms (see
# LinuxPackageDocs.cmake), each installed as a component that a plain install leaves out: here
# the generator's own is installed on top of everything else.
foreach(generator_docs IN ITEMS "DEB:debian_doc" "RPM:rpm_doc")
    string(REPLACE ":" ";" generator_docs "${generator_docs}")
    list(GET generator_docs 0 generator)
    list(GET generator_docs 1 component)
    if(CPACK_GENERATOR STREQUAL generator)
        # Each entry: build folder, project name, component (ALL: the default ones), subfolder.
        list(GET CPACK_INSTALL_CMAKE_PROJECTS 0 build_dir)
        list(GET CPACK_INSTALL_CMAKE_PROJECTS 1 project_name)
        list(APPEND CPACK_INSTALL_CMAKE_PROJECTS "${build_dir}" "${project_name}" ${component} "/")
    endif()
endforeach()
