kubectl apply -f liveness.yml
sleep 90
kubectl describe pod liveness
