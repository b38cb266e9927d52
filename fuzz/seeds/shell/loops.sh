i=0; while [ $i -lt 5 ]; do echo "tick $i"; i=$((i+1)); sleep 1; done; for f in a b c; do echo $f >> /d/list; done; cat /d/list | wc -l
