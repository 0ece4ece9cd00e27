# The admin UI (web/): TypeScript + React built by Vite into ${HCMS_ADMIN_UI_DIR},
# which `hcms serve` reads at start-up (web.admin_dir's default) and answers at
# /admin. scripts/build-web.sh installs the npm packages from package-lock.json
# (`npm ci`, only when the lock file changed) and runs the type check and the
# build; Ninja re-runs it only when a file under web/ changed.
#
# HCMS_BUILD_WEB=OFF (the asan preset, the Docker image) builds the server
# without the UI: /admin then answers 503 admin_ui_unavailable.
option(HCMS_BUILD_WEB "Build the admin web UI (needs Node.js >= 20.19 and npm)" ON)

set(HCMS_ADMIN_UI_DIR "")
if(NOT HCMS_BUILD_WEB)
  return()
endif()

find_program(HCMS_NODE node)
find_program(HCMS_NPM npm)
if(NOT HCMS_NODE OR NOT HCMS_NPM)
  message(FATAL_ERROR "The admin UI needs Node.js >= 20.19 and npm (or configure with -DHCMS_BUILD_WEB=OFF)")
endif()
execute_process(COMMAND ${HCMS_NODE} --version OUTPUT_VARIABLE node_version OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX REPLACE "^v" "" node_version "${node_version}")
if(node_version VERSION_LESS 20.19)
  message(FATAL_ERROR "The admin UI needs Node.js >= 20.19, found ${node_version} (or configure with -DHCMS_BUILD_WEB=OFF)")
endif()

set(HCMS_ADMIN_UI_DIR ${PROJECT_BINARY_DIR}/web/dist)
set(web_dir ${PROJECT_SOURCE_DIR}/web)
file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS ${web_dir}/src/* ${web_dir}/public/*)
add_custom_command(
  OUTPUT ${HCMS_ADMIN_UI_DIR}/index.html
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/build-web.sh ${HCMS_ADMIN_UI_DIR}
  DEPENDS ${web_sources} ${web_dir}/index.html ${web_dir}/package.json ${web_dir}/package-lock.json
          ${web_dir}/vite.config.ts ${web_dir}/tsconfig.json ${web_dir}/scripts/precompress.mjs
          ${PROJECT_SOURCE_DIR}/scripts/build-web.sh ${PROJECT_SOURCE_DIR}/scripts/web-deps.sh
  WORKING_DIRECTORY ${web_dir}
  COMMENT "Building the admin UI (web/ -> ${HCMS_ADMIN_UI_DIR})"
  VERBATIM)
add_custom_target(hcms_admin_ui ALL DEPENDS ${HCMS_ADMIN_UI_DIR}/index.html)
