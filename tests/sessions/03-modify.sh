# Section 3: args cannot change in place; replace --force deletes and recreates the Pod.
kubectl apply -f examples/examplepod.yml
sleep 34
kubectl replace -f examples/examplepod-hello2022.yml
kubectl apply -f examples/examplepod-hello2022.yml
kubectl replace -f examples/examplepod-hello2022.yml --force
kubectl get pod examplepod
sleep 20
kubectl get pod examplepod
kubectl logs examplepod
