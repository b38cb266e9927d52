kubectl apply -f web.yml
sleep 20
kubectl expose pod web
kubectl get endpoints web
kubectl run client --image=busybox -- sleep 3600
sleep 10
kubectl exec client -- wget -qO- http://web
podplay trace client svc/web
kubectl exec web -- rm /usr/share/nginx/html/index.html
sleep 10
kubectl get endpoints web
