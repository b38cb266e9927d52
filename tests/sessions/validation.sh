# What the API server and kubectl refuse, with their messages; a refused object changes nothing.
cat <<'EOF2' > bad.yaml
apiVersion: v1
kind: Pod
metadata:
  name: My_Pod
spec:
  containers:
  - name: App
    image: ""
    imagePullPolicy: Sometimes
    ports:
    - containerPort: 70000
      protocol: tcp
  - name: App
    image: busybox
    volumeMounts:
    - name: data
      mountPath: /data
  restartPolicy: Sometimes
EOF2
kubectl apply -f bad.yaml
kubectl get pods
cat <<'EOF2' > typo.yaml
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: app
    image: busybox
    imagePullPolic: Always
    comand: ["sleep", "3600"]
EOF2
kubectl apply -f typo.yaml
kubectl apply -f typo.yaml --validate=warn
kubectl delete pod typo
cat <<'EOF2' > types.yaml
apiVersion: v1
kind: Pod
metadata:
  name: types
spec:
  containers:
  - name: app
    image: busybox
    ports:
    - containerPort: "80"
EOF2
kubectl apply -f types.yaml
cat <<'EOF2' > probe.yaml
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  containers:
  - name: app
    image: busybox
    resources:
      requests:
        cpu: 500m
        memory: 64Mi
      limits:
        cpu: 250m
    livenessProbe:
      successThreshold: 2
      periodSeconds: -1
EOF2
kubectl apply -f probe.yaml
cat <<'EOF2' > quantity.yaml
apiVersion: v1
kind: Pod
metadata:
  name: quantity
spec:
  containers:
  - name: app
    image: busybox
    resources:
      limits:
        memory: lots
EOF2
kubectl apply -f quantity.yaml
cat <<'EOF2' > broken.yaml
apiVersion: v1
kind: Pod
metadata:
  name: broken
  labels: [
EOF2
kubectl apply -f broken.yaml
kubectl apply -f missing.yaml
kubectl apply -f examples/examplepod.yml --namespace=kube-system
kubectl apply -f examples/busybox-pod-namespace-test.yml -n default
kubectl create -f examples/examplepod.yml
kubectl create -f examples/examplepod.yml
kubectl get pods
cat <<'EOF2' > two.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data:
  a: "1"
---
{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "second"}, "data": {"b": "2"}}]}
EOF2
kubectl apply -f two.yaml
kubectl apply -f two.yaml
kubectl get configmaps
kubectl delete -f two.yaml
