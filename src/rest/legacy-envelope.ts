import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { answerOf, answerOfRequest, notFound, type ErrorAnswer, type ErrorWording } from '../errors';

/** The legacy success envelope: `code` is always the number 0. */
export const ok = <T>(data: T) => ({ code: 0, data });

/** The legacy error envelope: a non-2xx status with `{code: 140xx, data: null, message}`. */
export function sendLegacyError(reply: FastifyReply, answer: ErrorAnswer) {
  return reply.code(answer.status).headers(answer.headers).send({ code: answer.legacyCode, data: null, message: answer.message });
}

/**
 * Makes a legacy plugin answer every failure, and every unknown route, in
 * the legacy envelope. `onAnswer` sees each failure after it is answered
 * (metrics).
 */
export function legacyErrors(wording: ErrorWording, onAnswer: (answer: ErrorAnswer) => void = () => {}) {
  return {
    notFound(request: FastifyRequest, reply: FastifyReply) {
      return sendLegacyError(reply, answerOf(notFound(`no route ${request.method} ${request.url}`)));
    },
    error(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
      const answer = answerOfRequest(error, request, wording);
      onAnswer(answer);
      return sendLegacyError(reply, answer);
    },
  };
}
