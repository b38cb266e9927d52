# Cluster DNS in detail: dnsPolicy and dnsConfig, /etc/hosts, headless services with
# hostname/subdomain, service-link variables, node ports, and DNS with CoreDNS gone.
cat > dns.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - name: pg
    port: 5432
---
apiVersion: v1
kind: Pod
metadata:
  name: db-0
  labels:
    app: db
spec:
  hostname: db-0
  subdomain: db
  containers:
  - name: db
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: custom
spec:
  dnsPolicy: None
  dnsConfig:
    nameservers: ["1.1.1.1"]
    searches: ["example.com"]
    options:
    - name: ndots
      value: "2"
    - name: edns0
  hostAliases:
  - ip: "10.1.2.3"
    hostnames: ["foo.local", "bar.local"]
  containers:
  - name: c
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: nolinks
spec:
  enableServiceLinks: false
  dnsPolicy: Default
  containers:
  - name: c
    image: busybox:1.36
    command: ["sleep", "3600"]
YAML
kubectl apply -f dns.yaml
kubectl create service nodeport echo --tcp=8080:80 --node-port=30080
kubectl run echo --image=nginx --labels=app=echo
kubectl run client --image=busybox:1.36 -- sleep 3600
sleep 20
kubectl get svc
kubectl exec db-0 -- cat /etc/hosts
kubectl exec db-0 -- hostname
kubectl exec custom -- cat /etc/resolv.conf
kubectl exec custom -- cat /etc/hosts
kubectl exec nolinks -- cat /etc/resolv.conf
kubectl exec client -- nslookup db
kubectl exec client -- nslookup db-0.db.default.svc.cluster.local
kubectl exec client -- sh -c 'env | grep ^ECHO_ | sort'
kubectl exec nolinks -- sh -c 'env | grep -c SERVICE_HOST'
kubectl exec client -- wget -qO- http://echo:8080/missing
kubectl exec client -- wget -qO- http://192.168.1.12:30080/
kubectl logs echo --tail=1
podplay trace client 192.168.1.12:30080
# CoreDNS gone: names stop resolving.
kubectl delete pod -n kube-system -l k8s-app=kube-dns --grace-period=0 --force
kubectl get endpoints -n kube-system kube-dns
kubectl exec client -- nslookup echo
kubectl exec client -- wget -qO- http://echo:8080/
# A node's address: its host ports and node ports answer every tool and the trace alike.
kubectl run hp --image=nginx --overrides='{"spec":{"nodeName":"worker-1","containers":[{"name":"hp","image":"nginx","ports":[{"containerPort":80,"hostPort":8080}]}]}}'
sleep 10
kubectl exec client -- nc -zv 192.168.1.11 8080
kubectl exec client -- wget -qO- 192.168.1.11:8080/missing
podplay trace client 192.168.1.11:8080
kubectl exec client -- nc -zv 192.168.1.11 30080
kubectl exec client -- nc -zv 192.168.1.12 8080
kubectl exec client -- ping -c 1 192.168.1.11
# externalTrafficPolicy: Local — only nodes running a pod of the service answer its node port.
kubectl patch svc echo -p '{"spec":{"externalTrafficPolicy":"Local"}}'
kubectl get pod echo -o jsonpath='{.spec.nodeName}{"\n"}'
kubectl exec client -- wget -qO- -T 1 192.168.1.11:30080/missing
kubectl exec client -- wget -qO- -T 1 192.168.1.12:30080/missing
podplay trace client 192.168.1.12:30080
