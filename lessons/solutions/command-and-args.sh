kubectl apply -f hello.yml
sleep 30
kubectl logs hello
cat <<'EOF' > hello.yml
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
  - name: hello
    image: busybox
    command: ['sh', '-c']
    args: ['echo "Hello 2023!"; sleep 3600']
EOF
kubectl apply -f hello.yml
kubectl replace -f hello.yml --force
sleep 30
kubectl logs hello
