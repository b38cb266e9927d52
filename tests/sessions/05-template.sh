# Section 5: the annotated template and the securityContext fragment are not valid Pods;
# the namespace must exist; explain reads the schema.
kubectl apply -f examples/pod-template-annotated.yml
kubectl create -f examples/pod-template-annotated.yml
kubectl apply -f examples/security-context-demo.yml
kubectl apply -f examples/busybox-pod-namespace-test.yml
kubectl get pods -n test
kubectl create namespace test
kubectl apply -f examples/busybox-pod-namespace-test.yml
sleep 5
kubectl get pods -n test
kubectl get pods
kubectl explain pod
kubectl explain pod.spec.restartPolicy
kubectl explain pod.spec.containers.livenessProbe
kubectl explain pod.spec.nosuchfield
