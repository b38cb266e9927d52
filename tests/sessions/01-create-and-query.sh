# Sections 1 and 2 of the tutorial: create a Pod, keep containers running, query them.
kubectl apply -f examples/examplepod.yml
kubectl get pod examplepod
sleep 34
kubectl get pod examplepod
kubectl get pod examplepod -o wide
kubectl get pod examplepod --output yaml
kubectl get pod examplepod --output json
kubectl describe pods examplepod
kubectl logs examplepod
kubectl apply -f examples/busybox-sleep.yml
kubectl apply -f examples/ubuntu-loop.yml
kubectl run debug-container --image=busybox -- sh -c "tail -f /dev/null"
sleep 30
kubectl get pods --selector=app=busybox
kubectl get pods
kubectl apply -f examples/examplepod.yml
