kubectl apply -f init.yml
sleep 3
kubectl get pods
sleep 30
kubectl get pods
kubectl logs initdemo -c first
