kubectl apply -f hooks.yml
sleep 30
kubectl exec hooks -- cat /tmp/hook
kubectl delete pod hooks
