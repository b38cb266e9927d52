# Section 6's networking: pod IPs from each node's flannel subnet, hostPort on the node's
# address, same-node and cross-node traffic, and the path a packet takes.
kubectl get nodes -o wide
kubectl apply -f examples/examplepodfornginx.yml
kubectl apply -f examples/examplepodforport.yml
kubectl run client --image=busybox -- sleep 3600
sleep 10
kubectl get pods -o wide
kubectl exec client -- wget -q -O - 10.244.1.2
kubectl exec client -- wget -q -O - 192.168.1.12:8081
kubectl exec client -- wget -q -O - 192.168.1.11:8081
kubectl exec client -- nc -z 10.244.2.2 80
kubectl exec client -- nc -z 10.244.2.2 81
kubectl exec client -- wget -q -O - 10.244.2.9
kubectl exec client -- ping -c 2 10.244.1.2
podplay trace client examplepodfornginx
podplay trace client examplepodforport:80
podplay trace client worker-2:8081
podplay trace client 10.244.2.9:80
podplay trace client examplepodforport:81
cat <<'EOF2' > two.yaml
apiVersion: v1
kind: Pod
metadata:
  name: two-nginx
spec:
  containers:
  - name: first
    image: nginx
  - name: second
    image: nginx
EOF2
kubectl apply -f two.yaml
sleep 20
kubectl get pod two-nginx
kubectl logs two-nginx -c second --tail=3
# nginx logs every request it answers: the kubelet's probes would come from the node's cni0,
# pods from their own address, hostPort traffic from another node masqueraded to that node.
kubectl exec client -- wget -q -O - 10.244.2.2/missing.html
kubectl exec examplepodfornginx -- curl -s -o /dev/null localhost
kubectl exec examplepodfornginx -- curl localhost:81
kubectl exec examplepodfornginx -- sh -c 'nc -z localhost 80'
kubectl exec client -- sh -c 'curl -s 10.244.2.2'
kubectl logs examplepodfornginx --tail=5
