kubectl apply -f port.yml
sleep 30
kubectl get pods -o wide
kubectl exec examplepodforport -- curl -s localhost:80
