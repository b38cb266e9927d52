# Scheduling on a custom cluster (scheduling.cluster.yaml: host-gw, a labelled node, a small
# node): node selectors, taints and tolerations, resources, host ports, and the packet path.
kubectl get nodes -o wide
cat <<'EOF2' > ssd.yaml
apiVersion: v1
kind: Pod
metadata:
  name: ssd
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: app
    image: nginx
    ports:
    - containerPort: 80
      hostPort: 8080
EOF2
kubectl apply -f ssd.yaml
cat <<'EOF2' > ssd2.yaml
apiVersion: v1
kind: Pod
metadata:
  name: ssd2
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: app
    image: nginx
    ports:
    - containerPort: 80
      hostPort: 8080
EOF2
kubectl apply -f ssd2.yaml
cat <<'EOF2' > big.yaml
apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: "3"
EOF2
kubectl apply -f big.yaml
cat <<'EOF2' > cp.yaml
apiVersion: v1
kind: Pod
metadata:
  name: on-cp
spec:
  nodeName: cp
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
EOF2
kubectl apply -f cp.yaml
kubectl run client --image=busybox -- sleep 3600
sleep 10
kubectl get pods -o wide
kubectl describe pod ssd2
kubectl get events --field-selector=reason=FailedScheduling
kubectl label node node-b disk=ssd
sleep 10
kubectl get pod ssd2 -o wide
podplay node show node-a
podplay trace client ssd
kubectl exec client -- wget -q -O - 192.168.1.21:8080
