kubectl run web --image=nginx -l app=web
kubectl delete pods -l '!app=web'
kubectl get pods
