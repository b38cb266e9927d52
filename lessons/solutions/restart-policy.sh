kubectl apply -f once.yml
kubectl apply -f fails.yml
sleep 60
kubectl get pods
