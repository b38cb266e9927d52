# Section 6: a shared emptyDir, hostPort, env, pod IPs.
kubectl apply -f examples/examplepodforvolumemount.yml
kubectl apply -f examples/examplepodforport.yml
kubectl apply -f examples/examplepodforenv.yml
kubectl apply -f examples/examplepodfornginx.yml
sleep 56
kubectl get pod
kubectl get pods examplepodforvolumemount
kubectl logs examplepodforvolumemount containerforread
kubectl logs examplepodforvolumemount
kubectl describe pods examplepodforport
kubectl logs pod/examplepodforenv
kubectl get pod examplepodforenv --template={{.status.podIP}}
kubectl get pod examplepodforenv -o wide
kubectl get pod examplepodfornginx -o wide
kubectl exec examplepodforenv -- wget -q -O - 10.244.1.4
