# Services, endpoints, kube-proxy and cluster DNS: the "done when" of issue 10.
kubectl get svc -A
cat > web.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
      name: http
    readinessProbe:
      httpGet:
        path: /healthz.html
        port: http
      periodSeconds: 2
YAML
kubectl apply -f web.yaml
kubectl expose pod web
kubectl run client --image=busybox:1.36 -- sleep 3600
sleep 20
kubectl get pods
kubectl get endpoints web
kubectl get endpointslices -l kubernetes.io/service-name=web
kubectl exec web -- sh -c 'echo ok > /usr/share/nginx/html/healthz.html'
sleep 5
kubectl get pods web
kubectl get endpoints web
kubectl describe svc web
kubectl exec client -- cat /etc/resolv.conf
kubectl exec client -- wget -qO- http://web/healthz.html
kubectl exec client -- wget -O - http://web/healthz.html
kubectl exec client -- wget -S --spider web.default.svc.cluster.local
kubectl exec client -- nslookup web
kubectl exec client -- nslookup web.default.svc.cluster.local
kubectl exec client -- nslookup 10.96.0.1
kubectl exec client -- nslookup nosuch
kubectl exec client -- nc -zv web 80
kubectl exec client -- ping -c 1 -W 1 web
podplay trace client svc/web
kubectl logs web --tail=1
# The probe fails: the pod leaves the service.
kubectl exec web -- rm /usr/share/nginx/html/healthz.html
sleep 10
kubectl get pods web
kubectl get endpoints web
kubectl describe endpoints web
kubectl exec client -- wget -qO- http://web
kubectl exec client -- nc -zvv web 80
podplay trace client svc/web
# Not a service port: nothing answers.
kubectl exec client -- wget -T 2 http://10.96.0.99/
kubectl exec client -- nc -zv -w 2 10.96.0.99 80
# A pod deleted: its endpoint is terminating until it is gone.
kubectl exec web -- sh -c 'echo ok > /usr/share/nginx/html/healthz.html'
sleep 5
kubectl delete pod web --wait=false
kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[0].endpoints[0].conditions}{"\n"}'
sleep 5
kubectl get endpoints web
