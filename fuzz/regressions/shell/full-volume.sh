echo 0123456789 > /d/f; while cat /d/f >> /d/f; do true; done
