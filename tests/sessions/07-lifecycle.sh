# Section 7: init containers one after another, then postStart/preStop hooks.
kubectl apply -f examples/examplepodforinitcontainer.yml
sleep 15
kubectl get pods examplepodforinitcontainer
sleep 30
kubectl get pods examplepodforinitcontainer
sleep 30
kubectl get pods examplepodforinitcontainer
kubectl logs examplepodforinitcontainer -c initdbcheck
kubectl logs examplepodforinitcontainer -c initscript
kubectl logs examplepodforinitcontainer
kubectl describe pods examplepodforinitcontainer
kubectl apply -f examples/myapp-pod.yml
kubectl apply -f examples/init-demo.yml
sleep 5
kubectl get pods myapp-pod init-demo
sleep 10
kubectl get pods myapp-pod init-demo
kubectl apply -f examples/examplepodforpoststartandprestop-badhost.yml
sleep 2m5s
kubectl get pod examplepodforpoststartandprestop
kubectl describe pods examplepodforpoststartandprestop
kubectl delete pod examplepodforpoststartandprestop --grace-period=0 --force
kubectl apply -f examples/examplepodforpoststartandprestop.yml
sleep 30
kubectl get pod examplepodforpoststartandprestop
kubectl delete pod examplepodforpoststartandprestop
kubectl get pod examplepodforpoststartandprestop
