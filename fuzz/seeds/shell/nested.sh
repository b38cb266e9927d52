trap 'echo bye; exit 0' TERM; sh -c "sleep 2; echo inner $(hostname)" && echo ok || echo no; x=${UNSET:-default}; echo ${x%lt} > /d/x 2>&1; test -f /d/x && cat /d/x
