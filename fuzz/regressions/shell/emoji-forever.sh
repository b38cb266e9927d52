while true; do echo 🚀; done
