# kubectl's client side, checked against the real kubectl v1.32 client: dry runs print the
# objects kubectl builds (JSON in the Go structs' order), label/annotate messages, logs flags,
# output and selector errors, multi-document applies, help.
kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two --dry-run=client -o yaml
kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two --dry-run=client -o json
kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two --dry-run=client -o name
kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two --dry-run=client
kubectl create secret generic s --from-literal=user=admin --dry-run=client -o json
kubectl create configmap cfg --from-literal=bad --dry-run=client
kubectl create configmap cfg --from-literal=a=1 --from-literal=a=2 --dry-run=client
kubectl run web --image=nginx --port=80 --labels=app=web,tier=fe --env=A=1 --dry-run=client -o json
kubectl run web --image=nginx --restart=Never --dry-run=client -o yaml --command -- sleep 10
kubectl run web --image=nginx --dry-run=client -o name
kubectl run web --dry-run=client
kubectl run web --image=nginx --restart=Bogus --dry-run=client
kubectl create service clusterip web --tcp=80:8080 --dry-run=client -o json
kubectl create service nodeport np --tcp=80:80 --node-port=30080 --dry-run=client -o yaml
kubectl create service clusterip headless --clusterip=None --dry-run=client -o yaml
kubectl create service clusterip bad --dry-run=client
kubectl create service clusterip web --tcp=abc --dry-run=client -o yaml
kubectl run web --image=nginx --labels=app=web --port=80
kubectl expose pod web --dry-run=client -o yaml
kubectl expose pod web --name=web6 --dry-run=client
kubectl run nolabels --image=nginx --labels=
kubectl expose pod nolabels
kubectl label pod web app-
kubectl label pod web app=x
kubectl label pod web app=web
kubectl label pod web app=x --overwrite
kubectl label pod web tier=fe
kubectl label pod web nope-
kubectl label pod web --list
kubectl label pod web app- --overwrite
kubectl label pod web
kubectl label pod web app=x app-
kubectl label pod web app=x=y
kubectl label pod web --list -o yaml
kubectl annotate pod web note=hi
kubectl annotate pod web note=bye
kubectl annotate pod web note-
kubectl annotate pod web --list
cat > two.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: nginx
    image: busybox
    command: ["sh", "-c", "echo 'nginx: starting'; sleep 1; echo 'nginx: ready'; sleep 3600"]
  - name: sidecar
    image: busybox
    command: ["sh", "-c", "echo 'sidecar: hello'; sleep 3600"]
YAML
kubectl apply -f two.yaml
sleep 10
kubectl logs two
kubectl logs two --all-containers --prefix
kubectl logs two --timestamps -c nginx
kubectl logs two -c nope
kubectl logs two --since-time=bad
kubectl logs two --since=1h --since-time=2024-01-01T00:00:00Z
kubectl logs two --since=bad
kubectl logs nosuch
kubectl exec two -c nope -- ls
kubectl exec two
kubectl get pods -o custom-columns=NAME
kubectl get pods -o custom-columns=NAME:.metadata.name,BAD
kubectl get pods -o custom-columns=
kubectl get pods --field-selector spec.foo=bar
kubectl get pods -l app=web --field-selector spec.foo=bar
cat > x.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data:
  a: "1"
---
apiVersion: v1
metadata:
  name: second
data:
  b: "2"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: third
data:
  c: "3"
YAML
kubectl apply -f x.yaml
kubectl delete cm first
kubectl apply -f x.yaml --validate=false
kubectl foo
kubectl xyzzy
kubectl get pods --bogus
kubectl get pods -Z
kubectl logs
cat > ticks.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: ticks
spec:
  containers:
  - name: a
    image: busybox
    command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo a$i; sleep 2; done"]
  - name: b
    image: busybox
    command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo b$i; sleep 3; done"]
YAML
kubectl apply -f ticks.yaml
sleep 3
timeout 5s kubectl logs ticks --all-containers --prefix -f
