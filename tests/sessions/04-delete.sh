# Section 4: delete by name and from the manifest; the grace period runs on the virtual clock.
kubectl apply -f examples/busybox-sleep.yml
kubectl apply -f examples/ubuntu-loop.yml
sleep 30
kubectl delete pod busybox --wait=false
kubectl get pods
sleep 29
kubectl get pods
sleep 1
kubectl get pods
kubectl delete -f examples/ubuntu-loop.yml
kubectl get pods
kubectl delete pod busybox
kubectl apply -f examples/busybox-sleep.yml
sleep 10
kubectl delete pod busybox --grace-period=0 --force
kubectl get pods
