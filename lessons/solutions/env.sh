kubectl apply -f env.yml
sleep 30
kubectl logs envdemo
kubectl exec envdemo -- env
