# Section 8: a liveness probe restarts the container; nginx stopped by hand is restarted.
kubectl apply -f examples/examplepodforliveness.yml
sleep 54
kubectl get pod examplepodforliveness
kubectl exec pod/examplepodforliveness -- rm -f /files_dir/importantfile
sleep 20
kubectl describe pods examplepodforliveness
sleep 2m
kubectl get pod examplepodforliveness
kubectl logs examplepodforliveness --previous
kubectl apply -f examples/examplepodforreadiness.yml
sleep 30
kubectl exec examplepodforreadiness -- nginx -s stop
sleep 5
kubectl describe pods examplepodforreadiness
sleep 3m
kubectl get pod examplepodforreadiness
