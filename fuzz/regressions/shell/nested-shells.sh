export X="sh -c \"\$X\""; sh -c "$X"
