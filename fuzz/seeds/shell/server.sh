mkdir -p /d/www && echo hello > /d/www/index.html && httpd -f -p 8080 -h /d/www & wget -qO- http://localhost:8080/ ; date; env | sort | head -3; tail -f /dev/null
