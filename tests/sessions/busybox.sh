# The tools inside containers, as busybox 1.36 and curl print them (their sources are the
# reference): option parsing, messages, streams and exit codes.
cat > box.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  hostname: box-0
  subdomain: grp
  containers:
  - name: box
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    emptyDir: {}
YAML
kubectl apply -f box.yaml
kubectl run web --image=nginx --labels=app=web
kubectl expose pod web --port=80
sleep 15
kubectl exec box -- hostname
kubectl exec box -- hostname -f
kubectl exec box -- hostname -i
kubectl exec box -- ip addr
kubectl exec box -- ip route
kubectl exec box -- ip bogus
kubectl exec box -- sh -c 'cd /data && wget -q http://web/ && ls -l && wget -q http://web/; echo "exit $?"'
kubectl exec box -- sh -c 'wget -O /data/page.html -q web && wc -c /data/page.html'
kubectl exec box -- wget -qO- -T 1 web:81
kubectl exec box -- wget --bogus web
kubectl exec box -- wget -q http://nosuch/
kubectl exec box -- wget -qO- ftp2://web
kubectl exec box -- sh -c 'printf "b 2\na 10\nc 1\n" | sort -k2 -n'
kubectl exec box -- sh -c 'env | grep -E "^WEB_SERVICE_(HOST|PORT)=" | sort'
kubectl exec box -- sh -c 'printf "x\ny\n" > /data/f; cat -n /data/f; head -1 /data/f; tail -n +2 /data/f; wc -l /data/f; grep -c . /data/f'
kubectl exec box -- grep -q nope /data/f
kubectl exec box -- ls -Z
kubectl exec box -- nc -w 1 -l -p 9000
kubectl exec box -- df /data
kubectl exec box -- id
kubectl exec web -- curl -s -o /dev/null -w '%{http_code}\n' localhost/missing
kubectl exec web -- curl -sI localhost
kubectl exec web -- curl -sS http://nosuch/
kubectl exec web -- curl -sS -m 2 http://10.96.0.99/
