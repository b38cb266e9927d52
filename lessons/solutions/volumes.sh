kubectl apply -f shared.yml
sleep 30
kubectl logs shared -c reader
