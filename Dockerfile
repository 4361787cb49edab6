# The dashboard in a container: Debian's Python, Chromium and CJK fonts (the weekly brief's
# charts and PDF), served under /kam/ on port 8501. Keep data/ on a volume:
#   docker build -t kam . && docker run -d --restart on-failure -p 127.0.0.1:8501:8501 -v kam-data:/opt/kam/data kam
# and put nginx (deploy/nginx.conf) in front of it.
FROM debian:bookworm-slim

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3 python3-venv chromium fonts-noto-cjk ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /opt/kam kam

# The day and time the dashboard writes (today's date in a form, a visit's entry time, the brief's "Made") are the
# office's: China's by default, another with docker run -e TZ=Europe/Berlin.
ENV TZ=Asia/Shanghai
WORKDIR /opt/kam
COPY requirements.txt ./
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
RUN mkdir -p data && chown -R kam:kam data

USER kam
EXPOSE 8501
VOLUME ["/opt/kam/data"]
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:8501/kam/healthz || exit 1
CMD ["bin/start", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.baseUrlPath", "kam", "--server.headless", "true"]
