# Debian packages, built with CPack from an ordinary build tree:
#   warden-agent      the agent, its unit, /etc/warden/agent.env, the antivirus catalog
#   warden-collector  the collector, wardenctl, its unit, /etc/warden/collector.conf
# deploy/package.sh builds them; tests/deploy/package_test.sh installs and purges them in a
# throwaway root. Maintainer scripts and conffiles lists live in deploy/packaging/<component>/.

set(WARDEN_DEPLOY ${PROJECT_SOURCE_DIR}/deploy)

install(FILES ${WARDEN_DEPLOY}/systemd/warden-agent.service
        DESTINATION /lib/systemd/system COMPONENT agent)
install(FILES ${WARDEN_DEPLOY}/config/agent.env DESTINATION ${WARDEN_SYSCONFDIR} COMPONENT agent)
install(DIRECTORY DESTINATION ${WARDEN_SYSCONFDIR}/agent.env.d COMPONENT agent)  # the admin's
install(FILES ${WARDEN_DEPLOY}/antivirus-catalog.json DESTINATION ${WARDEN_DATADIR} COMPONENT agent)
install(PROGRAMS ${WARDEN_DEPLOY}/install-agent.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/warden-agent COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/warden-agent COMPONENT agent)

install(FILES ${WARDEN_DEPLOY}/systemd/warden-collector.service
        DESTINATION /lib/systemd/system COMPONENT collector)
install(FILES ${WARDEN_DEPLOY}/config/collector.conf DESTINATION ${WARDEN_SYSCONFDIR}
        COMPONENT collector)
# The admin's settings: read after collector.conf, never touched by upgrades.
install(DIRECTORY DESTINATION ${WARDEN_SYSCONFDIR}/collector.conf.d COMPONENT collector)
install(FILES ${WARDEN_DEPLOY}/tmpfiles/warden-collector.conf DESTINATION /usr/lib/tmpfiles.d
        COMPONENT collector)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/operations.md
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/warden-collector COMPONENT collector)

# The units, maintainer scripts and compiled-in paths are /usr's: refuse to package a tree
# configured for another prefix (the default /usr/local) instead of shipping a broken package.
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/WardenCPackCheck.cmake)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME warden)
set(CPACK_PACKAGE_VENDOR "Warden project")
set(CPACK_PACKAGE_CONTACT "Warden maintainers <warden@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package's own description supplies its synopsis line (not the project's summary).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL agent collector)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # library dependencies from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/warden-compliance/warden")

set(CPACK_DEBIAN_AGENT_PACKAGE_NAME warden-agent)
set(CPACK_DEBIAN_AGENT_DESCRIPTION
    "Warden host compliance agent\nChecks this PC against the unit's security rules (antivirus,\npatches, IP/MAC binding, USB storage, network exits, screen lock, accounts)\nand reports to a Warden collector over mutual TLS.")
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_AGENT_PACKAGE_RECOMMENDS "clamav-daemon, nftables")
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_EXTRA
    ${WARDEN_DEPLOY}/packaging/agent/postinst ${WARDEN_DEPLOY}/packaging/agent/prerm
    ${WARDEN_DEPLOY}/packaging/agent/postrm ${WARDEN_DEPLOY}/packaging/agent/conffiles)
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_COLLECTOR_PACKAGE_NAME warden-collector)
set(CPACK_DEBIAN_COLLECTOR_DESCRIPTION
    "Warden compliance collector and wardenctl\nReceives findings from Warden agents over mutual TLS, keeps the compliance\ndatabase (SQLite), judges fleet-wide rules (IP/MAC ledger, USB cross-use)\nand answers wardenctl.")
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_CONTROL_EXTRA
    ${WARDEN_DEPLOY}/packaging/collector/postinst ${WARDEN_DEPLOY}/packaging/collector/prerm
    ${WARDEN_DEPLOY}/packaging/collector/postrm ${WARDEN_DEPLOY}/packaging/collector/conffiles)
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
