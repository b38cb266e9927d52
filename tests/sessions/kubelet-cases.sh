# Kubelet behaviour the tutorial does not show: crash-loop back-off, OOMKilled, image errors,
# readiness and startup probes, and grace periods with and without SIGTERM handling.
cat <<'EOF2' > crash.yaml
apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo starting; sleep 2; exit 1"]
EOF2
kubectl apply -f crash.yaml
timeout 90s kubectl get pod crash -w
kubectl describe pod crash
kubectl logs crash --previous
cat <<'EOF2' > oom.yaml
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
spec:
  restartPolicy: Never
  containers:
  - name: memory-demo-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
EOF2
kubectl apply -f oom.yaml
sleep 10
kubectl get pod memory-demo
kubectl get pod memory-demo -o jsonpath='{.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}{"\n"}'
kubectl run nopull --image=busybox:1.37 --image-pull-policy=Never
kubectl run typo --image=nginx:nope
kubectl run nosuchimage --image=example/doesnotexist
sleep 5
kubectl get pods nopull typo nosuchimage
kubectl describe pod nopull
sleep 30
kubectl get pods typo
kubectl logs typo
cat <<'EOF2' > probes.yaml
apiVersion: v1
kind: Pod
metadata:
  name: probes
spec:
  containers:
  - name: web
    image: nginx
    readinessProbe:
      httpGet:
        path: /healthz
        port: 80
      periodSeconds: 5
  - name: slow
    image: busybox
    command: ["sh", "-c", "sleep 20; touch /tmp/started; sleep 3600"]
    startupProbe:
      exec:
        command: ["cat", "/tmp/started"]
      periodSeconds: 5
      failureThreshold: 10
    livenessProbe:
      exec:
        command: ["cat", "/tmp/started"]
EOF2
kubectl apply -f probes.yaml
sleep 15
kubectl get pod probes
sleep 30
kubectl get pod probes
kubectl describe pod probes
kubectl apply -f examples/busybox-sleep.yml
kubectl run web --image=nginx
sleep 10
kubectl delete pod web busybox --wait=false
sleep 1
kubectl get pods web busybox
sleep 28
kubectl get pods web busybox
sleep 2
kubectl get pods web busybox
cat <<'EOF2' > hp.yaml
apiVersion: v1
kind: Pod
metadata:
  name: writer
spec:
  nodeName: worker-1
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "echo from-writer > /host/note; sleep 3600"]
    volumeMounts:
    - {name: h, mountPath: /host}
  volumes:
  - name: h
    hostPath: {path: /tmp/shared, type: DirectoryOrCreate}
---
apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  nodeName: worker-1
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
    volumeMounts:
    - {name: h, mountPath: /data, readOnly: true}
  volumes:
  - name: h
    hostPath: {path: /tmp/shared}
EOF2
kubectl apply -f hp.yaml
sleep 5
kubectl exec reader -- cat /data/note
kubectl exec reader -- touch /data/other
# A job-like pod with a sidecar: once the main container finishes, the kubelet stops the sidecar.
cat <<'EOF2' > sidecar-job.yaml
apiVersion: v1
kind: Pod
metadata:
  name: sidecar-job
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 3
  initContainers:
  - name: logger
    image: busybox
    restartPolicy: Always
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "sleep 5; echo done"]
EOF2
kubectl apply -f sidecar-job.yaml
sleep 4
kubectl get pod sidecar-job
sleep 10
kubectl get pod sidecar-job
kubectl get pod sidecar-job -o jsonpath='{.status.phase} {.status.initContainerStatuses[0].state.terminated.exitCode} {.status.initContainerStatuses[0].state.terminated.reason}{"\n"}'
kubectl logs sidecar-job -c main
kubectl get events --field-selector involvedObject.name=sidecar-job
# A shell that traps SIGTERM exits as soon as its current sleep ends, well within the grace period.
cat <<'EOF2' > graceful.yaml
apiVersion: v1
kind: Pod
metadata:
  name: graceful
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "trap 'echo got SIGTERM, bye; exit 0' TERM; while true; do sleep 5; done"]
EOF2
kubectl apply -f graceful.yaml
sleep 3
kubectl delete pod graceful --wait=false
sleep 1
kubectl get pod graceful
sleep 3
kubectl get pod graceful
# A postStart hook that takes 10 s holds the container in ContainerCreating until it returns.
cat <<'EOF2' > hook.yaml
apiVersion: v1
kind: Pod
metadata:
  name: hook
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
    lifecycle:
      postStart:
        exec:
          command: ["sh", "-c", "sleep 10; echo warm > /tmp/ready"]
EOF2
kubectl apply -f hook.yaml
sleep 5
kubectl get pod hook
kubectl get events --field-selector involvedObject.name=hook
sleep 7
kubectl get pod hook
kubectl exec hook -- cat /tmp/ready
