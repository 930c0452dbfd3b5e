# newsbot: slim Python, CPU-only torch, non-root, config and data as volumes.
#   docker build -t newsbot .
#   docker run -v $PWD/config:/app/config -v newsbot-data:/app/data newsbot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    NEWSBOT_CONFIG=/app/config/newsbot.yaml

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin newsbot
WORKDIR /app

# CPU build of torch first, so the dependency resolver never pulls a CUDA one.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY summariser ./summariser
RUN pip install .

COPY config ./config
RUN mkdir -p /app/data && chown -R newsbot:newsbot /app/data /app/config
VOLUME ["/app/config", "/app/data"]

USER newsbot
EXPOSE 3000
CMD ["newsbot", "run"]
