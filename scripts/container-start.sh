#!/usr/bin/env bash
# The container's entrypoint (the image installs it as /usr/local/bin/farlab-container-start).
# Waits for the database (at most FARLAB_DATABASE_WAIT_SECONDS, default 60), runs
# `farlab migrate` only when asked, then becomes the command (exec: signals reach it).
#
#   FARLAB_MIGRATE_ON_START=true, or --migrate before the command: migrate first
#   no command: farlab serve --host 0.0.0.0
set -euo pipefail

migrate="${FARLAB_MIGRATE_ON_START:-false}"
if [ "${1:-}" = "--migrate" ]; then
    migrate=true
    shift
fi
case "${migrate,,}" in
    true | 1 | yes) migrate=true ;;
    false | 0 | no | "") migrate=false ;;
    *)
        echo "error: FARLAB_MIGRATE_ON_START must be true or false (got '$migrate')" >&2
        exit 2
        ;;
esac
if [ "$#" -eq 0 ]; then
    set -- farlab serve --host 0.0.0.0
fi

farlab wait-for-database --timeout "${FARLAB_DATABASE_WAIT_SECONDS:-60}"
if [ "$migrate" = true ]; then
    farlab migrate
fi
exec "$@"
