kubectl run p --image=busybox -- sleep 1
timeout 100000h kubectl get pods -w
