#!/bin/sh
# Stands in for workerd (see workerd-heap-cap.mjs): the configuration on stdin gets the V8 flags
# of GITFLARE_V8_FLAGS, then this process becomes workerd, so whoever started it (Miniflare)
# signals and waits on workerd itself.
set -e
config=$(mktemp)
bin=$(node "$(dirname "$0")/workerd-heap-cap.mjs" "$config")
exec 9<"$config"
rm -f "$config"
case " $GITFLARE_V8_FLAGS " in
# V8's trace lines are read as they come (the load benchmark's heap peak), not in 4 KiB blocks.
*" --trace-gc "*) exec stdbuf -oL "$bin" "$@" 0<&9 9<&- ;;
esac
exec "$bin" "$@" 0<&9 9<&-
