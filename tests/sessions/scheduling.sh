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
# A pod that does not fit waits; deleting the pod that holds the CPU lets it in.
cat <<'EOF2' > c1.yaml
apiVersion: v1
kind: Pod
metadata:
  name: c1
spec:
  nodeSelector:
    kubernetes.io/hostname: node-c
  terminationGracePeriodSeconds: 5
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: 600m
EOF2
cat <<'EOF2' > c2.yaml
apiVersion: v1
kind: Pod
metadata:
  name: c2
spec:
  nodeSelector:
    kubernetes.io/hostname: node-c
  terminationGracePeriodSeconds: 5
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: 600m
EOF2
kubectl apply -f c1.yaml
kubectl apply -f c2.yaml
sleep 5
kubectl get pods c1 c2 -o wide
kubectl delete pod c1
sleep 2
kubectl get pod c2 -o wide
kubectl get events --field-selector involvedObject.name=c2
