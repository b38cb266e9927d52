# A node that stops answering: NotReady after 50 s, its pods evicted after their 300 s
# tolerations (they stay Terminating while the node is down), finished when it comes back.
kubectl run web --image=nginx
kubectl run other --image=nginx
sleep 10
kubectl get pods -o wide
podplay node stop worker-2
sleep 40
kubectl get nodes
sleep 10
kubectl get nodes
kubectl describe node worker-2
kubectl get pods -o wide
sleep 5m
kubectl get pods -o wide
kubectl run late --image=busybox -- sleep 3600
sleep 5
kubectl get pods -o wide
podplay node start worker-2
sleep 2
kubectl get nodes
kubectl get pods -o wide
kubectl get events --field-selector=involvedObject.name=web
kubectl drain worker-1
kubectl drain worker-1 --ignore-daemonsets
kubectl drain worker-1 --ignore-daemonsets --force
kubectl get nodes
kubectl get pods -o wide
kubectl uncordon worker-1
# A short power cut: the pods stay bound, their containers are gone; when the node is back the
# kubelet re-creates the sandboxes and restarts the containers (exit 255, reason Unknown).
kubectl run short --image=nginx --overrides='{"spec":{"nodeName":"worker-2"}}'
sleep 10
podplay node stop worker-2
sleep 60
podplay node start worker-2
sleep 15
kubectl get pod short -o wide
kubectl get pods -n kube-system --field-selector spec.nodeName=worker-2
kubectl get pod short -o jsonpath='{.status.containerStatuses[0].lastState}{"\n"}'
kubectl get events --field-selector involvedObject.name=short
