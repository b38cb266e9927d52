# Everyday kubectl beyond the tutorial: output formats, labels, namespaces, nodes, events,
# finalizers, watches, logs flags, and kubectl's own error messages.
kubectl version
kubectl get nodes
kubectl get nodes -o wide
kubectl get namespaces
kubectl run web --image=nginx --labels=app=web,tier=front
kubectl run once --image=busybox --restart=Never -- sh -c "echo done; exit 3"
timeout 20s kubectl get pods -w
kubectl get pods --show-labels
kubectl get pods -o name
kubectl get pod web -o jsonpath='{.metadata.labels.app}{"\n"}'
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}'
kubectl get pods -A
kubectl label pod web env=prod
kubectl label pod web env=dev
kubectl label pod web env=dev --overwrite
kubectl get pods -l env=dev
kubectl annotate pod web owner=me
kubectl logs once
kubectl logs web --tail=1
kubectl logs once --previous
kubectl exec web -- cat /usr/share/nginx/html/index.html
kubectl exec once -- ls
kubectl patch pod web -p '{"metadata":{"finalizers":["example.com/hold"]}}'
kubectl delete pod web --wait=false
sleep 5
kubectl get pod web
kubectl patch pod web -p '{"metadata":{"finalizers":null}}'
kubectl get pod web
kubectl create configmap settings --from-literal=mode=fast --from-literal=level=3
kubectl create secret generic creds --from-literal=password=s3cr3t
kubectl get configmaps
kubectl get secret creds -o yaml
kubectl get events --field-selector=involvedObject.name=once
kubectl api-resources
kubectl foo
kubectl get pods --foo
kubectl get
kubectl get podz
kubectl logs
kubectl delete pod nosuch
kubectl exec once ls
kubectl run b --image=busybox --labels=app=x,tier=db -- sleep 3600
sleep 2
kubectl get pods -L app,tier --sort-by=.metadata.creationTimestamp
kubectl get pods -A --sort-by=.metadata.name --no-headers -l app
# --overrides merges JSON into the generated pod; JSON that does not parse is refused.
kubectl run tuned --image=busybox --restart=Never --overrides='{"metadata":{"labels":{"tier":"x"}},"spec":{"activeDeadlineSeconds":60}}' --dry-run=client -o yaml -- sleep 10
kubectl run broken --image=busybox --overrides='{bad'
# Dry runs: the client prints what it would send; the server checks and defaults, stores nothing.
cat <<'EOF2' > dry.yaml
apiVersion: v1
kind: Pod
metadata:
  name: dry
spec:
  containers:
  - name: c
    image: busybox
EOF2
kubectl create -f dry.yaml --dry-run=client -o yaml
kubectl apply -f dry.yaml --dry-run=server
kubectl create -f dry.yaml --dry-run=server -o name
kubectl get pod dry
kubectl create -f dry.yaml -o name
kubectl delete pod dry --dry-run=server
kubectl label pod dry tier=web --dry-run=client
kubectl patch pod dry -p '{"metadata":{"labels":{"z":"y"}}}' --dry-run=server
kubectl create namespace later --dry-run=server
kubectl run other --image=nginx --dry-run=server
kubectl get pods dry other --show-labels
kubectl get namespace later
# Real kubectl commands and resource types that podplay does not model yet say so plainly.
kubectl top pods
kubectl get svc
kubectl lgos web
