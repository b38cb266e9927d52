kubectl apply -f pair.yml
sleep 30
kubectl get pods -o wide
podplay trace a b:80
