kubectl apply -f graceful.yml
sleep 30
kubectl delete pod graceful
