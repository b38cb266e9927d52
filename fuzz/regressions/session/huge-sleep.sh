sleep 99999999999999999999
kubectl get pods
