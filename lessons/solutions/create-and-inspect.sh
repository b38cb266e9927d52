kubectl apply -f examplepod.yml
sleep 30
kubectl get pods
kubectl logs examplepod
kubectl describe pod examplepod
kubectl delete pod examplepod
